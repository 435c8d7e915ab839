/* _app-g_mcnvY4l7.js */
