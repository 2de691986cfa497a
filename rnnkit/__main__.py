import sys

try:
    from .cli import main

    status = main()
except KeyboardInterrupt:  # Ctrl-C before main() could catch it (while Python imports the CLI)
    print("rnnkit: interrupted", file=sys.stderr)
    status = 130
sys.exit(status)
