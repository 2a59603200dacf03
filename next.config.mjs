/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and WASM packages stay as plain Node requires instead of being bundled.
  serverExternalPackages: ["sharp", "@electric-sql/pglite", "pg"],
  async rewrites() {
    return [
      { source: "/v1/scene/create", destination: "/api/scene/create" },
      { source: "/v1/image/edit", destination: "/api/image/edit" },
      { source: "/v1/image/edit/upload", destination: "/api/image/edit/upload" },
    ];
  },
};

export default nextConfig;
