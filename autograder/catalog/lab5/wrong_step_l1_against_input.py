"""The L1 term compares the output with the input x instead of the target y (G is pulled towards copying its edges or
grey input); a slip between the two image arguments of generator_loss that pix2pix students make (LibreCV/blog pull
request #10's review discusses exactly which image the generated one is compared with)."""
EXERCISE = "pix2pix_step"
EXPECT = "compares G(x) with the input"
EDIT = [("generator_loss(D(conditional_d_input(x, y_fake)), y_fake, y, lambda_l1)",
         "generator_loss(D(conditional_d_input(x, y_fake)), y_fake, x, lambda_l1)")]
