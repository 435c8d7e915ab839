/* main-Nyc3k3dKHD.js */
