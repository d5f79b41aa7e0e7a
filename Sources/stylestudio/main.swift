print("stylestudio: under construction")
