/** Names under which the plugin hands values to Vitest's workers (`provide` / `inject`). */

/** The resolved test options (options.ts), for the runner. */
export const OPTIONS_KEY = "durasim:options";

/** The id of options given as a function, resolved by the plugin's globalSetup (global-setup.ts). */
export const PENDING_OPTIONS_KEY = "durasim:pending-options";

/** Where the main process answers calls to the functions in the options (host-functions.ts). */
export const HOST_KEY = "durasim:host-functions";
