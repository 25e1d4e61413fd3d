from losslint.cli import main

main()
