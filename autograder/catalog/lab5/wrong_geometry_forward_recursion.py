"""The backward recursion r = (r - 1) * stride + kernel applied from the FIRST layer on (phillipi/pix2pix issue #33:
"by using the equation ... input_size=(output_size - 1)*stride+ksize, I just cannot get the correct result"): 28 for
the PatchGAN instead of 70."""
EXERCISE = "conv_stack_geometry"
EXPECT = "wrong order"
EDIT = [("        field += (kernel - 1) * jump    # the kernel spans kernel - 1 more steps of the previous layer's grid\n",
         "        field = (field - 1) * stride + kernel\n")]
