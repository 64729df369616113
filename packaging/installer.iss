; Inno Setup script for the Windows till: installs dist\mendiantong-pos (the PyInstaller
; one-folder bundle) for all users, with Start-menu and desktop shortcuts. The till keeps its
; data in C:\ProgramData\mendiantong-pos, which the installer creates writable by every user
; (cashiers log in to Windows with their own accounts) and never removes on uninstall.
; Build: ISCC.exe /DAppVersion=0.1.0 packaging\installer.iss  (see .github/workflows)
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{5C0E2A8B-7D2E-4C61-9A56-6E0B1F3D2A11}
AppName=门店通 POS
AppVersion={#AppVersion}
AppPublisher=门店通
DefaultDirName={autopf}\mendiantong-pos
DefaultGroupName=门店通 POS
PrivilegesRequired=admin
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist\installer
OutputBaseFilename=mendiantong-pos-{#AppVersion}-setup
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\mendiantong-pos.exe
Compression=lzma2
SolidCompression=yes

[Languages]
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Dirs]
Name: "{commonappdata}\mendiantong-pos"; Permissions: users-modify; Flags: uninsneveruninstall

[Files]
Source: "..\dist\mendiantong-pos\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\门店通 POS"; Filename: "{app}\mendiantong-pos.exe"
Name: "{group}\导出诊断包"; Filename: "{app}\mendiantong-pos.exe"; Parameters: "diagnostics"
Name: "{group}\立即备份"; Filename: "{app}\mendiantong-pos.exe"; Parameters: "backup"
Name: "{commondesktop}\门店通 POS"; Filename: "{app}\mendiantong-pos.exe"

[Run]
Filename: "{app}\mendiantong-pos.exe"; Description: "启动门店通 POS"; Flags: nowait postinstall skipifsilent
