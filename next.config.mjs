/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and WASM packages stay as plain Node requires instead of being bundled.
  serverExternalPackages: ["sharp", "@electric-sql/pglite", "pg"],
  async rewrites() {
    return {
      // Claid's paths: `/v1-ea` is the one older clients still call.
      afterFiles: [
        { source: "/v1/scene/create", destination: "/api/scene/create" },
        { source: "/v1-ea/scene/create", destination: "/api/scene/create" },
        { source: "/v1/image/edit", destination: "/api/image/edit" },
        { source: "/v1-ea/image/edit", destination: "/api/image/edit" },
        { source: "/v1/image/edit/upload", destination: "/api/image/edit/upload" },
        { source: "/v1-ea/image/edit/upload", destination: "/api/image/edit/upload" },
      ],
      // Any other path under them reaches the catch-all under /api, which answers the error envelope's
      // 404 (never a real /api route: nothing is served under /api/v1 or /api/v1-ea).
      fallback: [
        { source: "/v1/:path*", destination: "/api/v1/:path*" },
        { source: "/v1-ea/:path*", destination: "/api/v1-ea/:path*" },
        { source: "/api", destination: "/api/index" },
      ],
    };
  },
};

export default nextConfig;
