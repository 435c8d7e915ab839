/* main-kFZL2i9bx5.js */
