/* _app-ZL2i9bx5ul.js */
