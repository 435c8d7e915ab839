/* polyfills-c67a75d1b6f99dc8.js */
