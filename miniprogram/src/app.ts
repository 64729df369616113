/** The mini-program: points the API client at the mall of this version (config.ts). */
import { configure } from './api';
import { mallBaseUrl } from './config';

App({
  onLaunch() {
    configure({ baseUrl: mallBaseUrl() });
  },
});
