print("pgtop")
