/* unvotes: Font Awesome's 1.5 MB script, which the theme loads on every page to turn about ten icons into
   inline SVG, is replaced by this empty file; the theme's stylesheet draws the same icons with Font Awesome's
   web font. */
