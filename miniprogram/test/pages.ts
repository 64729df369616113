/**
 * Opening the mini-program's pages under node the way the WeChat client does: the page and
 * the components it uses are loaded by miniprogram-simulate (npm components resolved as
 * "构建 npm" does, from the package's `miniprogram` folder), attached, then onLoad(query) and
 * onShow() run. Taps are dispatched on the rendered elements.
 */
import * as fs from 'fs';
import * as path from 'path';
import simulate = require('miniprogram-simulate');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const exparser = require('miniprogram-exparser');

export const SRC = path.resolve(__dirname, '../src');
const NODE_MODULES = path.resolve(__dirname, '../node_modules');

const NPM_DIST = path.join(SRC, 'miniprogram_npm');

/**
 * Lay out src/miniprogram_npm as WeChat DevTools' 构建 npm does (each dependency's `miniprogram`
 * folder), since the WXML compiler only sees files under the mini-program's root.
 */
function buildNpm(): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(SRC, '../package.json'), 'utf8'));
  for (const name of Object.keys(manifest.dependencies)) {
    const pkg = JSON.parse(fs.readFileSync(path.join(NODE_MODULES, name, 'package.json'), 'utf8'));
    const target = path.join(NPM_DIST, name);
    if (!pkg.miniprogram || fs.existsSync(path.join(target, '.version-' + pkg.version))) continue;
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(path.join(NODE_MODULES, name, pkg.miniprogram), target, { recursive: true });
    fs.writeFileSync(path.join(target, '.version-' + pkg.version), '');
  }
}

function jsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'miniprogram_npm' ? [] : jsonFiles(full);
    return entry.name.endsWith('.json') ? [full] : [];
  });
}

/** Every npm component the mini-program uses, by tag, at its 构建 npm place. */
function npmComponents(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const file of jsonFiles(SRC)) {
    const using: Record<string, string> = JSON.parse(fs.readFileSync(file, 'utf8')).usingComponents || {};
    for (const [tag, request] of Object.entries(using)) {
      if (!request.startsWith('.') && !request.startsWith('/')) found[tag] = `/miniprogram_npm/${request}`;
    }
  }
  return found;
}

type Definition = Record<string, unknown> & { relations?: Record<string, object> };
const definitions = new Map<string, Definition>();
const simulateUtils = require('miniprogram-simulate/src/utils');

/**
 * miniprogram-simulate runs a component's JS with require() and expects Component() to be
 * called each time; jest keeps required modules, so a page opened again would define nothing.
 * The first definition of each file is kept and handed to Component() again on later opens.
 */
simulateUtils.runJs = (filePath: string) => {
  const globals = globalThis as unknown as { Component: (options: Definition) => void };
  const register = globals.Component;
  const known = definitions.get(filePath);
  if (known) {
    register(fresh(known));
    return;
  }
  globals.Component = (options: Definition) => {
    definitions.set(filePath, fresh(options));
    register(options);
  };
  try {
    require(filePath);
  } finally {
    globals.Component = register;
  }
};

/** A copy that registering cannot change (it rewrites the relations' keys). */
function fresh(options: Definition): Definition {
  const relations = options.relations;
  if (!relations) return { ...options };
  return { ...options, relations: Object.fromEntries(Object.entries(relations).map(([k, v]) => [k, { ...v }])) };
}

buildNpm();
const NPM_COMPONENTS = npmComponents();

export type PageInstance = ReturnType<typeof simulate.render>;

export interface OpenedPage {
  page: PageInstance;
  /** Whatever the page's onLoad/onShow started has finished. */
  ready: Promise<void>;
}

type Lifecycle = ((query?: Record<string, string>) => unknown) | undefined;

/** Open pages/<name>/index with the query (as navigateTo's url or a scanned QR gives it). */
export function openPage(name: string, query: Record<string, string> = {}): OpenedPage {
  const id = simulate.load(path.join(SRC, 'pages', name, 'index'), `page-${name}`, {
    rootPath: SRC,
    usingComponents: NPM_COMPONENTS,
  });
  const page = simulate.render(id);
  page.attach(document.createElement('parent-wrapper'));
  const instance = page.instance as unknown as { onLoad: Lifecycle; onShow: Lifecycle };
  const ready = (async () => {
    if (instance.onLoad) await instance.onLoad(query);
    if (instance.onShow) await instance.onShow();
  })();
  return { page, ready };
}

interface WxElement {
  id: string;
  shadowRoot?: unknown;
}
type Rendered = HTMLElement & { __wxElement?: WxElement };

function elements(page: PageInstance): Rendered[] {
  return Array.from((page.dom as unknown as HTMLElement).querySelectorAll('*')) as Rendered[];
}

/** The page's text as a customer reads it: the rendered texts, one space between them. */
export function textOf(page: PageInstance): string {
  const walker = document.createTreeWalker(page.dom as unknown as Node, NodeFilter.SHOW_TEXT);
  const texts: string[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent || '').trim();
    if (text) texts.push(text);
  }
  return texts.join(' ').replace(/\s+/g, ' ');
}

/** The rendered element of the node with this id, in the page or any component inside it. */
export function byId(page: PageInstance, id: string): Rendered {
  const element = elements(page).find((el) => el.__wxElement && el.__wxElement.id === id);
  if (!element) throw new Error(`no #${id} on the page: ${textOf(page).slice(0, 300)}`);
  return element;
}

/** Where a finger on the element lands: inside a component, on its own root element. */
function touched(element: Rendered): Rendered {
  let target = element;
  while (target.__wxElement && target.__wxElement.shadowRoot && target.firstElementChild) {
    target = target.firstElementChild as Rendered;
  }
  return target;
}

/** What a finger on the element sends: a tap, on the component's own root if it is one. */
export function tap(page: PageInstance, id: string): void {
  dispatch(touched(byId(page, id)), 'tap', {});
}

/** A tap on the nth part of a component whose class ends with `part` (van-stepper's "plus"). */
export function tapPart(page: PageInstance, id: string, part: string, nth = 0): void {
  const inside = Array.from(byId(page, id).querySelectorAll('*')) as Rendered[];
  const parts = inside.filter((el) => Array.from(el.classList).some((c: string) => c === part || c.endsWith(`--${part}`)));
  if (!parts[nth]) throw new Error(`no ${part} #${nth} in #${id}`);
  dispatch(touched(parts[nth]), 'tap', {});
}

/**
 * An event with a detail on the element. Taps bubble out of components; other events (a
 * native button's getphonenumber, a component's change) reach only the element's listeners.
 */
export function dispatch(element: Rendered, name: string, detail: unknown): void {
  const spreads = name === 'tap';
  exparser.Event.dispatchEvent(
    element.__wxElement,
    exparser.Event.create(name, detail, { bubbles: spreads, composed: spreads, capturePhase: spreads }),
  );
}

/** Wait until the condition holds (pages update after the mall answers). */
export async function until(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await simulate.sleep(10);
  }
}
