/**
 * Where the mall is, per mini-program version. Replace the addresses with your mall's: the
 * release and trial ones must be HTTPS domains listed under 开发管理 → 服务器域名 (request合法域名).
 * The develop one is for WeChat DevTools with 不校验合法域名 ticked and `pos-mall serve` running.
 */
const BASE_URLS: Record<string, string> = {
  develop: 'http://127.0.0.1:8000',
  trial: 'https://mall.example.cn',
  release: 'https://mall.example.cn',
};

export function mallBaseUrl(): string {
  const env = wx.getAccountInfoSync().miniProgram.envVersion;
  return BASE_URLS[env] || BASE_URLS.release;
}
