/* [slug]-1hs7k7dnzt.js */
