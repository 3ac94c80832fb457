// Command stock prints how each product's stock level should be handled.
package main

import (
	"fmt"
	"os"
	"strconv"
)

// classify says what to do about a product's stock; every season added a branch.
func classify(level, reserved, incoming int, seasonal, discontinued bool) string {
	free := level - reserved
	switch {
	case discontinued && free <= 0:
		return "remove"
	case discontinued:
		return "clear out"
	}
	if free < 0 {
		return "backorder"
	}
	if free == 0 && incoming == 0 {
		return "reorder now"
	}
	if free < 10 || (seasonal && free < 50) {
		if incoming > 0 {
			return "wait for delivery"
		}
		return "reorder"
	}
	for _, limit := range []int{1000, 500} {
		if free > limit && !seasonal {
			return "overstocked"
		}
	}
	return "ok"
}

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: stock LEVEL RESERVED INCOMING")
		os.Exit(2)
	}
	numbers := make([]int, 3)
	for i, arg := range os.Args[1:4] {
		n, err := strconv.Atoi(arg)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		numbers[i] = n
	}
	fmt.Println(classify(numbers[0], numbers[1], numbers[2], false, false))
}
