/* unvotes: Font Awesome's 1.5 MB script, which the theme loads on every page to draw about ten icons, is
   replaced by this empty file; the icons the pages use are drawn by icons.css (a few lines of SVG). */
