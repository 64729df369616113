/**
 * 会员中心: the member card (points, stored value), the member code the till scans (a signed,
 * short-lived code shown as QR and digits, refreshed while the page is open), points history;
 * 成为会员 by WeChat phone number for a customer who is not one yet; top-ups (充200送20) of
 * the chain's tiers paid with WeChat Pay, the balance read again once the mall credited them.
 */
import { api, ApiError, LedgerEntry, Member } from '../../api';
import { errorText, showDone, showError } from '../../utils/feedback';
import { price, yuan } from '../../utils/money';
import { payTopUp } from '../../utils/pay';
import { qrDataUrl } from '../../utils/qr';
import { currentStore } from '../../utils/shop';

let timer: number | undefined;

function entry(item: LedgerEntry) {
  return {
    text: item.text,
    atText: item.at.slice(0, 16).replace('T', ' '),
    deltaText: item.delta > 0 ? `+${item.delta}` : String(item.delta),
  };
}

/** "123456789012345678" → "1234 5678 9012 3456 78", easier to read out at the counter. */
function groupDigits(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

Component({
  data: {
    member: null as Member | null,
    notMember: false,
    storedValueText: '',
    codeQr: '',
    digitsText: '',
    refreshIn: 60,
    history: [] as ReturnType<typeof entry>[],
    toppingUp: false,
    error: '',
  },
  lifetimes: {
    detached() {
      this.stopCode();
    },
  },
  methods: {
    async onShow() {
      try {
        this.showMember(await api.member());
        const history = await api.points();
        this.setData({ history: history.map(entry) });
        await this.refreshCode();
      } catch (error) {
        if (error instanceof ApiError && error.code === 'not_member') this.setData({ notMember: true, member: null, error: '' });
        else this.setData({ error: errorText(error) });
      }
    },
    onHide() {
      this.stopCode();
    },
    showMember(member: Member) {
      this.setData({ member, notMember: false, storedValueText: yuan(member.stored_value_available_fen), error: '' });
    },
    async bound(event: WechatMiniprogram.CustomEvent<Member>) {
      this.showMember(event.detail);
      await this.refreshCode();
    },
    /** Pay the tapped tier's top-up; once credited, the balance as the mall has it now. */
    async topUp(event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { fen: number }>) {
      if (this.data.toppingUp) return;
      this.setData({ toppingUp: true });
      try {
        const topUp = await payTopUp(Number(event.currentTarget.dataset.fen), currentStore()?.id);
        if (topUp.status === 'credited') {
          this.showMember(await api.member());
          showDone(`已到账 ${price(topUp.amount_fen + topUp.bonus_fen)}`);
        }
      } catch (error) {
        showError(error);
      }
      this.setData({ toppingUp: false });
    },
    /** A fresh code now, and again every refresh_in seconds while the page is shown. */
    async refreshCode() {
      this.stopCode();
      try {
        const code = await api.memberCode();
        this.setData({ codeQr: qrDataUrl(code.code, 4), digitsText: groupDigits(code.digits), refreshIn: code.refresh_in });
        timer = setTimeout(() => this.refreshCode(), code.refresh_in * 1000) as unknown as number;
      } catch (error) {
        this.setData({ codeQr: '', error: errorText(error) });
      }
    },
    stopCode() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  },
});
