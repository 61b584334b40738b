from ronghe.cli import main

main()
