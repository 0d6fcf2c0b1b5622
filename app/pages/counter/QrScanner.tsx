import { Scanner, setZXingModuleOverrides, type IDetectedBarcode } from "@yudiel/react-qr-scanner";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

// The decoder's WebAssembly is served by the app itself (never fetched from a CDN).
setZXingModuleOverrides({ locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? wasmUrl : prefix + path) });

/** The camera view that reads a member's QR code (loaded only when opened: it brings the decoder). */
export default function QrScanner({ onCode, onError }: { onCode: (code: string) => void; onError: () => void }) {
  return (
    <Scanner
      formats={["qr_code"]}
      sound={false}
      constraints={{ facingMode: "environment" }}
      onScan={(codes: IDetectedBarcode[]) => {
        const text = codes[0]?.rawValue?.trim();
        if (text) onCode(text);
      }}
      onError={onError}
      styles={{ container: { width: "100%", maxWidth: 360, margin: "0 auto" } }}
    />
  );
}
