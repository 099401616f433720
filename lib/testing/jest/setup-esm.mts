/**
 * Jest's setup file in ESM mode (`--experimental-vm-modules`): Worker modules load through
 * Jest's `import()`, and the file waits for them here, so the test file links against modules
 * already in Jest's registry (importing them while it links races in Jest's ESM loader).
 */
import shared from "./shims/host.cjs";

await shared.host.start((path) => import(path));
