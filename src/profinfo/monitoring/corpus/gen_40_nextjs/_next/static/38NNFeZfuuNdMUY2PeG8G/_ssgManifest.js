/* _ssgManifest.js */
