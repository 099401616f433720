export default { async fetch(req) { return new Response("got " + req.url); } };
