// The only third-party code the dashboard uses; bundled at install time into static/dist/vendor.js.
import cytoscape from "cytoscape";

window.cytoscape = cytoscape;
