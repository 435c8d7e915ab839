/* framework-U6Nyc3k3dK.js */
