import type { Config } from "tailwindcss";

// Tailwind 4 reads its theme from CSS; this file carries the design tokens that CSS pulls in with @config.
const config: Config = {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        // Muted text is still body text: at least 4.5:1 on every surface it sits on (canvas 5.2:1,
        // panel 5.7:1, accent-soft 4.9:1, the line grey 4.5:1), as WCAG AA asks.
        ink: { DEFAULT: "#111418", soft: "#3b4350", muted: "#5f6773" },
        canvas: { DEFAULT: "#f4f5f7", panel: "#ffffff", line: "#e2e5ea" },
        accent: { DEFAULT: "#3654ff", soft: "#e8ecff", strong: "#2238c9" },
        danger: { DEFAULT: "#c62a2a", soft: "#fdecec" },
        draft: { DEFAULT: "#8a5a00", soft: "#fff4dc" },
      },
      fontFamily: {
        sans: ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        mono: ["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
      },
    },
  },
};

export default config;
