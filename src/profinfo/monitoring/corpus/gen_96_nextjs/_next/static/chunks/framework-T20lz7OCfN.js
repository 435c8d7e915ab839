/* framework-T20lz7OCfN.js */
