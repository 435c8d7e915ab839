/* [slug]-EFonsIX0eZ.js */
