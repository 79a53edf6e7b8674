# server: yishi serve (libmicrohttpd), auth, routes, SSE; its tests and fuzz target.
