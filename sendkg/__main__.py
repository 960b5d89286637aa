from sendkg.cli import main

main()
