/* [slug]-EyIsm1bg-A.js */
