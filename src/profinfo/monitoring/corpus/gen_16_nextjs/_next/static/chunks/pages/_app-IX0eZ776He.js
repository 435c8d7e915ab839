/* _app-IX0eZ776He.js */
