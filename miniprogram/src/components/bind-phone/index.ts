/**
 * 成为会员: the getPhoneNumber button; WeChat's code is sent to the mall, which asks WeChat for
 * the number and binds (or finds) the member. Emits `bound` with the member.
 */
import { api } from '../../api';
import { showError } from '../../utils/feedback';
import { currentStore } from '../../utils/shop';

Component({
  properties: { title: { type: String, value: '成为会员' } },
  data: { binding: false },
  methods: {
    async bind(event: WechatMiniprogram.CustomEvent<{ code?: string; errMsg: string }>) {
      const code = event.detail.code;
      if (!code) {
        wx.showToast({ title: '需要授权手机号才能成为会员', icon: 'none' });
        return;
      }
      this.setData({ binding: true });
      try {
        const store = currentStore();
        const member = await api.bindPhone(code, store ? store.id : undefined);
        this.triggerEvent('bound', member);
      } catch (error) {
        showError(error);
      }
      this.setData({ binding: false });
    },
  },
});
