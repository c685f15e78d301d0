package stability

import "fmt"

func errf(format string, args ...any) error {
	return fmt.Errorf("stability: "+format, args...)
}
