/* main-0lz7OCfNqD.js */
