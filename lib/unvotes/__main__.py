import sys

from unvotes.cli import main

sys.exit(main())
