from liftspec.cli.entry import main

main()
