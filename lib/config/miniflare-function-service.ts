/**
 * A Miniflare service written as a function (`serviceBindings: { NAME: (request) => response }`)
 * is called as Miniflare 4 calls it: whatever it throws, and whatever it returns that cannot be
 * made a Response, reaches the Worker as a 500 response whose body is the error's stack (or
 * message), never as a rejected fetch(). A result that is not a Response is read as one
 * (`new Response(result.body, result)`), as Miniflare does with another realm's Response.
 */

export type FunctionService = (request: Request) => unknown;

/** The function wrapped to answer as Miniflare's loopback does. */
export function miniflareFunctionService(service: FunctionService): (request: Request) => Promise<Response> {
  return (request) => callFunctionService(service, request);
}

export async function callFunctionService(service: FunctionService, request: Request): Promise<Response> {
  try {
    const result = await service(request);
    if (result instanceof Response) return result;
    const foreign = result as Response;
    return new Response(foreign.body, foreign);
  } catch (error) {
    return new Response(errorText(error), { status: 500 });
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack || error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return "Unknown error";
  }
}
