/** How the pages tell the customer that something went wrong: the mall's Chinese sentence. */
import { ApiError } from '../api';

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return '出了点问题，请稍后再试';
}

export function showError(error: unknown): void {
  wx.showToast({ title: errorText(error), icon: 'none', duration: 2500 });
}

export function showDone(title: string): void {
  wx.showToast({ title, icon: 'success', duration: 1500 });
}
