/**
 * 小票积分: where "扫普通链接二维码打开小程序" lands when a customer scans the receipt QR. The
 * scanned link arrives URL-encoded in the `q` parameter; the mall checks its signature and
 * credits the sale's points to the member once (a customer who is not a member binds first).
 */
import { api, ApiError, ClaimAnswer } from '../../api';
import { errorText } from '../../utils/feedback';

/** The receipt link from the page's query: `q` is the scanned URL, encoded once by WeChat. */
function scannedLink(query: Record<string, string | undefined>): string {
  const raw = query.q || '';
  try {
    return decodeURIComponent(raw).trim();
  } catch {
    return raw.trim();
  }
}

Component({
  data: { link: '', needMember: false, result: null as ClaimAnswer | null, error: '' },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const link = scannedLink(query);
      if (!link) {
        this.setData({ error: '没有识别到小票二维码，请重新扫描小票上的二维码' });
        return;
      }
      this.setData({ link });
      return this.claim();
    },
    async claim() {
      try {
        const result = await api.claimReceipt(this.data.link);
        this.setData({ result, needMember: false, error: '' });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'not_member') this.setData({ needMember: true, error: '' });
        else this.setData({ error: errorText(error), needMember: false });
      }
    },
    openMember() {
      wx.switchTab({ url: '/pages/member/index' });
    },
  },
});
