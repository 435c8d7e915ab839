/* [slug]-JT20lz7OCf.js */
