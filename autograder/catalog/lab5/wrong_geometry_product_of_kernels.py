"""Receptive field as the product of the kernel sizes (4 x 4 x 4 x 4 x 4 = 1024 for the PatchGAN), a first guess that
ignores the overlap of neighbouring windows."""
EXERCISE = "conv_stack_geometry"
EXPECT = "product of the kernel sizes"
EDIT = [("        field += (kernel - 1) * jump    # the kernel spans kernel - 1 more steps of the previous layer's grid\n",
         "        field *= kernel\n")]
