package agenda

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"
)

// viewFiller fills every field of a view by reflection, so that a field added to a view
// and not to appendAgendaJSON fails TestAgendaJSONIsMarshal. Every sparse-th string,
// list and pointer is left empty, nil or nil, for omitempty and null.
type viewFiller struct {
	n, sparse int
}

var fillerStrings = []string{"Plenary meeting 1", "a\"b\\c</script>&amp;", "séance\u2028plénière\u2029", "\x00\x01\x1f\b\f\n\r\t\x7f",
	"bad \xff\xfe utf-8 \xe2\x82", "الجلسة العامة 中文 😀", "2027-02-01T08:00:00+01:00"}

var fillerFloats = []float64{0, 0.5, 1.0 / 3, -0.25, 1e-7, 3e-9, 1e21, 123456789.125, 1e-6, 5e20}

func (f *viewFiller) skip() bool {
	f.n++
	return f.sparse > 0 && f.n%f.sparse == 0
}

func (f *viewFiller) fill(v reflect.Value) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(time.Date(2027, 2, 1, 7, 0, f.n%60, 0, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		if !f.skip() {
			v.SetString(fillerStrings[f.n%len(fillerStrings)])
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(f.n*7919 - 3000))
		f.n++
	case reflect.Bool:
		v.SetBool(f.n%2 == 0)
		f.n++
	case reflect.Float64:
		v.SetFloat(fillerFloats[f.n%len(fillerFloats)])
		f.n++
	case reflect.Pointer:
		if !f.skip() {
			v.Set(reflect.New(v.Type().Elem()))
			f.fill(v.Elem())
		}
	case reflect.Slice:
		if !f.skip() {
			n := f.n % 3
			v.Set(reflect.MakeSlice(v.Type(), n, n))
			for i := range n {
				f.fill(v.Index(i))
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i))
			}
		}
	}
}

// TestAgendaJSONIsMarshal: the agenda's encoder writes json.Marshal's bytes for views
// with every field set, with strings that need each kind of escape, floats in both of
// encoding/json's forms, and with empty strings, nil lists and nil pointers among them.
func TestAgendaJSONIsMarshal(t *testing.T) {
	views := []AgendaView{{}}
	for sparse := range 6 {
		for seed := range 40 {
			f := viewFiller{n: seed, sparse: sparse + 1}
			if sparse == 5 {
				f.sparse = 0
			}
			var v AgendaView
			f.fill(reflect.ValueOf(&v).Elem())
			views = append(views, v)
		}
	}
	for i, v := range views {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeAgenda(&v)
		if err != nil {
			t.Fatalf("view %d: %v", i, err)
		}
		if string(got) != string(want) {
			t.Fatalf("view %d:\n got %s\nwant %s", i, got, want)
		}
	}
	v := AgendaView{Sessions: []SessionView{{OutsideShare: math.NaN()}}}
	if _, err := encodeAgenda(&v); err == nil {
		t.Fatal("NaN share encoded")
	}
}

// FuzzAgendaJSONString: a string is quoted as encoding/json quotes it.
func FuzzAgendaJSONString(f *testing.F) {
	for _, s := range fillerStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}
