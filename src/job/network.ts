import { browserProxy, chooseProxy, type BrowserProxy, type ProxyChoice } from '../net/proxy-choice.ts';
import { openNodeHttp, type NodeHttp } from '../net/node-http.ts';
import type { App } from './app.ts';

/**
 * The network a command works through, from `--proxy` and the environment the entry point
 * hands in: Node's client (trusted authorities and proxy) and the browser's proxy. Pure choices
 * (net/proxy-choice.ts); nothing is set process-wide.
 */
export interface NetworkChoice {
  readonly proxy: ProxyChoice;
  /** For every browser the command starts; null: the browser's own settings. */
  readonly browserProxy: BrowserProxy | null;
}

export function networkChoice(app: Pick<App, 'env'>, config: { readonly proxy?: string | undefined }): NetworkChoice {
  const proxy = chooseProxy(config.proxy, app.env);
  return { proxy, browserProxy: browserProxy(proxy) };
}

/** Node's HTTP client for one command; the caller disposes it. */
export function openNetwork(app: Pick<App, 'env'>, config: { readonly proxy?: string | undefined }): NodeHttp {
  return openNodeHttp({ proxy: networkChoice(app, config).proxy });
}
