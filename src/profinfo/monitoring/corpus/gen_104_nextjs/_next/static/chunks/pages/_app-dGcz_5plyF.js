/* _app-dGcz_5plyF.js */
