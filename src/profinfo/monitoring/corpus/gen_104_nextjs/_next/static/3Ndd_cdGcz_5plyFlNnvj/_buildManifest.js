/* _buildManifest.js */
