/**
 * 优惠券: the campaigns the member can claim (领取), and the member's own coupons; tapping a
 * usable one shows its QR code, which the cashier scans at the till to take it off the bill.
 * A customer who is not a member yet binds the WeChat phone number first.
 */
import { api, ApiError, ClaimableCampaign, CouponStatus, MemberCoupon } from '../../api';
import { errorText } from '../../utils/feedback';
import { price } from '../../utils/money';
import { qrDataUrl } from '../../utils/qr';

const STATUS_TEXT: Record<CouponStatus, string> = {
  issued: '可用',
  held: '结账中',
  redeemed: '已使用',
  expired: '已过期',
  void: '已作废',
};

/** "满¥10.00减¥3.00", or "无门槛减¥3.00" without a minimum spend. */
function terms(item: { value_fen: number; min_spend_fen: number }): string {
  const off = `减${price(item.value_fen)}`;
  return item.min_spend_fen > 0 ? `满${price(item.min_spend_fen)}${off}` : `无门槛${off}`;
}

function campaignView(item: ClaimableCampaign) {
  const blocked = item.sold_out ? '已领完' : item.left_for_me === 0 ? '已领取' : '';
  return { ...item, terms: terms(item), validText: `领取后 ${item.valid_days} 天内有效`, blocked };
}

function couponView(item: MemberCoupon) {
  return {
    ...item,
    terms: terms(item),
    statusText: STATUS_TEXT[item.status],
    usable: item.code !== null,
    untilText: `有效期至 ${item.expires_at.slice(0, 10)}`,
  };
}

Component({
  data: {
    notMember: false,
    campaigns: [] as ReturnType<typeof campaignView>[],
    coupons: [] as ReturnType<typeof couponView>[],
    shownId: '',
    shownQr: '',
    shownTerms: '',
    claiming: '',
    error: '',
  },
  methods: {
    onShow() {
      return this.load();
    },
    async load() {
      try {
        const [campaigns, mine] = await Promise.all([api.campaigns(), api.coupons()]);
        this.setData({
          notMember: false,
          campaigns: campaigns.campaigns.map(campaignView),
          coupons: mine.coupons.map(couponView),
          error: '',
        });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'not_member') this.setData({ notMember: true, error: '' });
        else this.setData({ error: errorText(error) });
      }
    },
    async bound() {
      await this.load();
    },
    async claim(event: WechatMiniprogram.BaseEvent) {
      const campaignId = String(event.currentTarget.dataset.id);
      if (this.data.claiming) return;
      this.setData({ claiming: campaignId });
      try {
        const coupon = await api.claimCoupon(campaignId);
        wx.showToast({ title: '领取成功', icon: 'success' });
        await this.load();
        this.show(coupon);
      } catch (error) {
        wx.showToast({ title: errorText(error), icon: 'none' });
        await this.load();
      } finally {
        this.setData({ claiming: '' });
      }
    },
    tapCoupon(event: WechatMiniprogram.BaseEvent) {
      const coupon = this.data.coupons.find((c) => c.coupon_id === event.currentTarget.dataset.id);
      if (coupon && coupon.usable) this.show(coupon);
    },
    show(coupon: MemberCoupon) {
      if (coupon.code === null) return;
      this.setData({ shownId: coupon.coupon_id, shownQr: qrDataUrl(coupon.code, 4), shownTerms: `${coupon.name} ${terms(coupon)}` });
    },
    hide() {
      this.setData({ shownId: '', shownQr: '', shownTerms: '' });
    },
  },
});
