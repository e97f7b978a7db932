/**
 * What a profile clone leaves out. Signing in needs the cookies, local storage and preferences;
 * everything here is a cache the browser rebuilds, a record of open tabs (which would reopen
 * them), history (large, not needed), saved passwords (secrets we don't need to copy), or a
 * lock that would make Chromium think the profile is in use.
 * Names match at any depth: caches also appear inside extension and app storage folders.
 */
const EXCLUDED_NAMES = new Set([
  // Caches
  'Cache',
  'Code Cache',
  'GPUCache',
  'ShaderCache',
  'GrShaderCache',
  'GraphiteDawnCache',
  'DawnCache',
  'DawnGraphiteCache',
  'DawnWebGPUCache',
  'Media Cache',
  'Application Cache',
  'Service Worker',
  'Shared Dictionary',
  'blob_storage',
  'Crashpad',
  'Download Service',
  'VideoDecodeStats',
  'WebrtcVideoStats',
  'GCM Store',
  'Safe Browsing Network',
  'heavy_ad_intervention_opt_out.db',
  // Open windows and tabs
  'Sessions',
  'Current Session',
  'Last Session',
  'Current Tabs',
  'Last Tabs',
  // History and what is derived from it
  'History',
  'History-journal',
  'Favicons',
  'Favicons-journal',
  'Top Sites',
  'Top Sites-journal',
  'Visited Links',
  'Shortcuts',
  'Shortcuts-journal',
  'Network Action Predictor',
  'Network Action Predictor-journal',
  // Saved passwords
  'Login Data',
  'Login Data-journal',
  'Login Data For Account',
  'Login Data For Account-journal',
  // Locks
  'lockfile',
]);

const EXCLUDED_PREFIXES = ['Singleton', 'optimization_guide', 'BrowserMetrics'];

export function isExcludedFromClone(name: string): boolean {
  return EXCLUDED_NAMES.has(name) || EXCLUDED_PREFIXES.some((prefix) => name.startsWith(prefix));
}
