/* _app-c3k3dKHDf0.js */
