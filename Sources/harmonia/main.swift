print("harmonia")
