/* [slug]-3U6Nyc3k3d.js */
