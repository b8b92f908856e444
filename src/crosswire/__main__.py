"""`python -m crosswire` runs the command line."""

from crosswire.cli import main

if __name__ == "__main__":
    main()
